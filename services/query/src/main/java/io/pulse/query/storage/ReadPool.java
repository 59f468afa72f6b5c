package io.pulse.query.storage;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The pool queries read from: the {@code replica} datasource when it is configured (its reactive URL set),
 * else the primary. Key lookups stay on the primary so a new or revoked key is seen without replica lag.
 */
@ApplicationScoped
public class ReadPool {

    private static final Logger LOG = Logger.getLogger(ReadPool.class);

    private final Pool pool;
    private final boolean replica;

    public ReadPool(Pool primary, @ReactiveDataSource("replica") InjectableInstance<Pool> replicaPool) {
        Pool chosen = primary;
        boolean usesReplica = false;
        try {
            if (replicaPool.getHandle().getBean().isActive()) {
                chosen = replicaPool.get();
                usesReplica = true;
            }
        } catch (RuntimeException inactive) {
            // No replica URL: the datasource is inactive and reads go to the primary.
        }
        this.pool = chosen;
        this.replica = usesReplica;
        LOG.infof("queries read from the %s datasource", usesReplica ? "replica" : "primary");
    }

    public Pool get() {
        return pool;
    }

    public boolean isReplica() {
        return replica;
    }
}

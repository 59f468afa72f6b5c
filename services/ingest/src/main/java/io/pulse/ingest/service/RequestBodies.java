package io.pulse.ingest.service;

import io.pulse.shared.http.ApiException;
import io.pulse.shared.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Request bodies as bytes, decompressed when gzip, never larger than the request limit. */
public final class RequestBodies {

    /**
     * Real JSON compresses 10-20x; a body that inflates more than this is treated as a gzip bomb even before it
     * reaches the size limit.
     */
    static final int MAX_COMPRESSION_RATIO = 100;

    private RequestBodies() {
    }

    public static byte[] decode(byte[] body, String contentEncoding) {
        if (body == null || body.length == 0) {
            throw new ApiException(400, "empty_body", null, "the request has no body");
        }
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.equalsIgnoreCase("identity")) {
            return checkSize(body);
        }
        if (!contentEncoding.trim().equalsIgnoreCase("gzip")) {
            throw new ApiException(415, "unsupported_encoding", "Content-Encoding",
                    "Content-Encoding must be gzip or identity");
        }
        return gunzip(body);
    }

    private static byte[] checkSize(byte[] body) {
        if (body.length > Limits.MAX_REQUEST_BYTES) {
            throw tooLarge();
        }
        return body;
    }

    private static byte[] gunzip(byte[] compressed) {
        long cap = Math.min(Limits.MAX_REQUEST_BYTES, (long) compressed.length * MAX_COMPRESSION_RATIO);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(compressed.length * 8, 64 * 1024));
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                out.write(buffer, 0, read);
                if (out.size() > cap) {
                    throw tooLarge(); // stop inflating at once: this is the bomb guard
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ApiException(400, "malformed_gzip", "body", "the body is not valid gzip");
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "request_too_large", "body",
                "the request is larger than " + Limits.MAX_REQUEST_BYTES / 1024 + " KB (after decompression)");
    }
}

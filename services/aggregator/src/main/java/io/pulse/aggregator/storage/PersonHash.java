package io.pulse.aggregator.storage;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit hash the hll extension's {@code hll_hash_text(text)} gives (MurmurHash3 x64 128, seed 0, first
 * half), computed here so PostgreSQL only adds finished hashes to its sketches. It must match exactly: sketches
 * built from these are merged with sketches built by SQL (PersonHashTest checks against PostgreSQL itself).
 */
public final class PersonHash {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private PersonHash() {
    }

    public static long of(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        int length = data.length;
        long h1 = 0;
        long h2 = 0;
        int blocks = length / 16;
        for (int i = 0; i < blocks; i++) {
            long k1 = littleEndianLong(data, i * 16);
            long k2 = littleEndianLong(data, i * 16 + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        long k1 = 0;
        long k2 = 0;
        int tail = blocks * 16;
        switch (length & 15) {
            case 15: k2 ^= (data[tail + 14] & 0xffL) << 48;
            case 14: k2 ^= (data[tail + 13] & 0xffL) << 40;
            case 13: k2 ^= (data[tail + 12] & 0xffL) << 32;
            case 12: k2 ^= (data[tail + 11] & 0xffL) << 24;
            case 11: k2 ^= (data[tail + 10] & 0xffL) << 16;
            case 10: k2 ^= (data[tail + 9] & 0xffL) << 8;
            case 9: k2 ^= data[tail + 8] & 0xffL;
                h2 ^= mixK2(k2);
            case 8: k1 ^= (data[tail + 7] & 0xffL) << 56;
            case 7: k1 ^= (data[tail + 6] & 0xffL) << 48;
            case 6: k1 ^= (data[tail + 5] & 0xffL) << 40;
            case 5: k1 ^= (data[tail + 4] & 0xffL) << 32;
            case 4: k1 ^= (data[tail + 3] & 0xffL) << 24;
            case 3: k1 ^= (data[tail + 2] & 0xffL) << 16;
            case 2: k1 ^= (data[tail + 1] & 0xffL) << 8;
            case 1: k1 ^= data[tail] & 0xffL;
                h1 ^= mixK1(k1);
            default:
                break;
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        return h1 + h2;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long littleEndianLong(byte[] data, int at) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (data[at + i] & 0xffL);
        }
        return value;
    }
}

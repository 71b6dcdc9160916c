package io.statecast.materializer.internal;

import java.util.concurrent.atomic.AtomicLong;

/** On-demand checksum requests (POST /checksums): each task emits once for every new request it sees. */
public final class ChecksumRequests {
    private final AtomicLong generation = new AtomicLong();

    public long request() {
        return generation.incrementAndGet();
    }

    long current() {
        return generation.get();
    }
}

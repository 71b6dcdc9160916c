package io.statecast.capture.internal;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Receives the engine's batches: converts them through {@link Transactions}, writes what completed in one Kafka
 * transaction, and only then marks as processed the last record at a transaction boundary, so that the offsets
 * Debezium commits (and the LSN it confirms to the slot) never pass a row that is not in Kafka.
 */
public final class EngineConsumer implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {
    private final Transactions transactions;
    private final ChangeWriter writer;

    /** Batches through {@code transactions} into {@code writer}. */
    public EngineConsumer(Transactions transactions, ChangeWriter writer) {
        this.transactions = transactions;
        this.writer = writer;
    }

    @Override
    public void handleBatch(
            List<ChangeEvent<SourceRecord, SourceRecord>> records,
            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer)
            throws InterruptedException {
        List<CapturedChange> out = new ArrayList<>();
        ChangeEvent<SourceRecord, SourceRecord> boundary = null;
        for (ChangeEvent<SourceRecord, SourceRecord> r : records) {
            out.addAll(transactions.accept(DebeziumRecord.of(r.value())));
            if (transactions.atBoundary()) {
                boundary = r;
            }
        }
        writer.write(out);
        if (boundary != null) {
            committer.markProcessed(boundary);
        }
        committer.markBatchFinished();
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return false;
    }
}

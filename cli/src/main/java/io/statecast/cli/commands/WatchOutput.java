package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.common.StatecastException;
import io.statecast.consumer.Change;
import io.statecast.consumer.ChangeMeta;
import io.statecast.consumer.ResetEvent;
import io.statecast.consumer.ViewListener;
import io.statecast.consumer.ViewStatus;
import io.statecast.schemas.JsonAvro;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;

/**
 * What {@code watch} prints on stdout, fed by the view's listener on its one thread, in the view's order:
 * the entries as of the end of the bootstrap (sorted by key, unless deltas only), then every delta, one
 * NDJSON line each. The initial entries are collected from the bootstrap's events rather than read from
 * the view at ready, so that the listing and the deltas after it never overlap or leave a gap.
 */
final class WatchOutput implements ViewListener<GenericRecord> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entry of the listing: its value (null once deleted during the bootstrap) and where it came from. */
    record Entry(ChangeMeta meta, GenericRecord value) {}

    private final PrintWriter out;
    private final PrintWriter err;
    private final String keyPrefix;
    private final boolean listInitial;
    private final Supplier<Map<String, GenericRecord>> view;
    private final CompletableFuture<SortedMap<String, Entry>> listed = new CompletableFuture<>();
    private SortedMap<String, Entry> initial = new TreeMap<>();
    private boolean eventsLost;

    /**
     * @param keyPrefix only keys starting with it (null: every key)
     * @param listInitial whether the entries as of the bootstrap's end are printed before the deltas
     * @param view the view's current entries, read when events were lost
     */
    WatchOutput(
            PrintWriter out,
            PrintWriter err,
            String keyPrefix,
            boolean listInitial,
            Supplier<Map<String, GenericRecord>> view) {
        this.out = out;
        this.err = err;
        this.keyPrefix = keyPrefix;
        this.listInitial = listInitial;
        this.view = view;
    }

    /** The entries as of the end of the bootstrap, once the listener reached it (what {@code --dump} writes). */
    CompletableFuture<SortedMap<String, Entry>> listed() {
        return listed;
    }

    @Override
    public void onChange(Change<GenericRecord> c) {
        if (!shown(c.key())) {
            return;
        }
        if (c.meta().initial() && initial != null) {
            initial.put(c.key(), new Entry(c.meta(), c.newValue()));
            return;
        }
        endListing();
        print(line(c.key(), c.meta(), c.newValue()));
    }

    @Override
    public void onReady(ViewStatus status) {
        endListing();
    }

    @Override
    public void onReset(ResetEvent reset) {
        if (initial != null) {
            eventsLost = true; // the events no longer add up: the listing comes from the view once it is ready
        } else if (reset.reason() == ResetEvent.Reason.LISTENER_OVERFLOW) {
            // Deltas came faster than they could be printed and some were dropped: what the view holds now.
            note("watch: events were dropped (output too slow); the view's entries follow again as upserts");
            fromView().forEach((k, e) -> print(line(k, e.meta(), e.value())));
        } else {
            note("watch: re-reading partition(s) " + reset.partitions() + " (" + reset.reason()
                    + "): their entries follow again as upserts");
        }
    }

    // The first delta or the ready event ends the bootstrap: every initial event came before it.
    private void endListing() {
        if (initial == null) {
            return;
        }
        SortedMap<String, Entry> entries = eventsLost ? fromView() : initial;
        entries.values().removeIf(e -> e.value() == null);
        initial = null;
        if (listInitial) {
            entries.forEach((k, e) -> print(line(k, e.meta(), e.value())));
        }
        listed.complete(entries);
    }

    private SortedMap<String, Entry> fromView() {
        SortedMap<String, Entry> entries = new TreeMap<>();
        view.get().forEach((k, v) -> {
            if (shown(k)) {
                entries.put(k, new Entry(null, v));
            }
        });
        return entries;
    }

    private boolean shown(String key) {
        return keyPrefix == null || key.startsWith(keyPrefix);
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private void note(String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    /** One NDJSON line: op, key, version, partition and srcOffset (when known), value (null for a delete). */
    static String line(String key, ChangeMeta meta, GenericRecord value) {
        ObjectNode o = JSON.createObjectNode();
        o.put("op", value == null ? "DELETE" : "UPSERT");
        o.put("key", key);
        if (meta != null && meta.version() >= 0) {
            o.put("version", meta.version());
            o.put("partition", meta.partition());
            o.put("srcOffset", meta.srcOffset());
        }
        o.set("value", value == null ? JSON.nullNode() : JsonAvro.toJson(value, value.getSchema()));
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new StatecastException("Cannot render " + key + ": " + e.getMessage(), e);
        }
    }
}

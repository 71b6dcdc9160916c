package io.statecast.consumer.internal;

import io.statecast.common.EntryHash;
import io.statecast.common.PartitionNotReadException;
import io.statecast.common.StatecastException;
import io.statecast.common.ViewClosedException;
import io.statecast.common.ViewFailedException;
import io.statecast.common.ViewNotReadyException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.consumer.ReadPolicy;
import io.statecast.consumer.ViewConfig;
import io.statecast.consumer.ViewStats;
import io.statecast.consumer.ViewStatus;
import io.statecast.schemas.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code StateView} stands on: builds the view's parts from its settings, owns its poll thread —
 * which creates the Kafka clients, wires them into a {@link PollLoop} and runs it — and serves reads,
 * status and counters from any thread.
 */
public final class ViewEngine<V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ViewEngine.class);

    private final ViewSettings<V> settings;
    private final ViewParts<V> view;
    private final ApplyRule<V> rule;
    private final ValueCodec<V> codec;
    private final Thread thread;
    /** Set before the thread starts: a slice view's is resolved in {@link #start()}. */
    private volatile ViewSource source;

    private volatile boolean running = true;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile Runnable beforeSnapshotWrite; // tests only
    // Who frees the compressor: close(), or a poll thread still writing its snapshot at close when close()
    // stopped waiting for it (a save reads values back to check them against the digests).
    private volatile boolean pollEnded;
    private volatile boolean valuesFreeable;
    private final AtomicBoolean valuesFreed = new AtomicBoolean();

    public ViewEngine(ViewSettings<V> settings, AvroCodec<V> payloads) {
        this.settings = settings;
        this.source = ViewSource.of(settings.config());
        this.codec = new ValueCodec<>(payloads, settings.isNamespace());
        ViewLifecycle life = new ViewLifecycle();
        ViewCounters counters = new ViewCounters();
        CallbackFailures failures = new CallbackAlarms(source.logId(), counters, life);
        Indexes<V> indexes = new Indexes<>(settings.rules().indexes(), failures);
        List<ListenerRunner<V>> listeners = settings.listeners().stream()
                .map(l -> new ListenerRunner<>(
                        source.threadName("listener-" + l.name()), l.listener(), l.capacity(), l.policy()))
                .toList();
        this.view = new ViewParts<>(
                source.logId(),
                new ViewTable<>(codec, indexes, StoredValues.of(settings.compression())),
                new Events<>(indexes, listeners),
                life,
                counters,
                new Awaiters(source.stateTopic()));
        this.rule = new ApplyRule<>(
                settings.rules().filter(), settings.rules().transform(), codec, settings.needsDecode(), failures);
        this.thread = new Thread(this::run, source.threadName("poll"));
        thread.setDaemon(true);
    }

    /**
     * Starts the poll thread. A slice view first reads its slice's definition (on the caller's thread).
     *
     * @throws io.statecast.common.SliceNotFoundException when the namespace has no such slice
     */
    public void start() {
        if (source.sliced() && source.slice() == null && view.life().state() == ViewStatus.State.CREATED) {
            source = source.with(SliceSelection.resolve(settings.config()));
        }
        if (view.life().start()) {
            thread.start();
        }
    }

    // ---- the poll thread ----

    private void run() {
        Consumer<byte[], byte[]> c = null;
        Admin admin = null;
        try {
            splay();
            c = KafkaClients.consumer(settings.config().consumerProperties(), Map.of("auto.offset.reset", "none"));
            consumer = c;
            admin = KafkaClients.admin(settings.config().consumerProperties());
            TopicFacts facts = new TopicFacts(admin, source.stateTopic());
            Uuid topicId = facts.topicId();
            loop(c, facts).run(topicId, () -> running);
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            fail(t);
        } finally {
            consumer = null; // a closed view that its user still holds keeps no client (about 1 MB) alive
            if (c != null) {
                c.close(Duration.ofSeconds(5));
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            pollEnded = true;
            if (valuesFreeable) {
                freeValues();
            }
        }
    }

    // Herd control: a fleet started at once spreads its bootstraps over [0, splay).
    private void splay() throws InterruptedException {
        Duration drawn = settings.drawSplay();
        view.life().splay(drawn);
        Thread.sleep(drawn.toMillis());
    }

    private PollLoop<V> loop(Consumer<byte[], byte[]> c, TopicFacts facts) {
        ViewConfig config = settings.config();
        ChecksumJudge judge =
                settings.verifying() ? new ChecksumJudge(facts.configLong("min.compaction.lag.ms", 0)) : null;
        WarmStart warmStart = config.snapshotDir() == null
                ? null
                : new WarmStart(
                        config.snapshotDir(),
                        source.stateTopic(),
                        source.snapshotFile(),
                        source.logId(),
                        ConfigFingerprint.of(settings, source));
        if (warmStart != null) {
            warmStart.beforeWriteForTest(() -> {
                Runnable hook = beforeSnapshotWrite;
                if (hook != null) {
                    hook.run();
                }
            });
        }
        LoopSettings loop = new LoopSettings(
                source,
                config.brokerCheckInterval(),
                config.topicCheckInterval(),
                config.snapshotInterval(),
                config.historyCapacity(),
                warmStart);
        PartitionWriter<V> writer =
                new PartitionWriter<>(rule, codec, settings.isNamespace(), settings.verifying(), source.slice());
        ViewMaintainer<V> maintainer = new ViewMaintainer<>(
                view, writer, judge, config.historyCapacity(), EntryHash.forVersion(config.digestVersion()), source);
        return new PollLoop<>(
                new ViewConsumer(c, source, System::nanoTime, this::lookbackConsumer),
                facts,
                settings.clock(),
                System::nanoTime,
                maintainer,
                view,
                loop);
    }

    // A slice view's marks lookback reads the tails of its marks partitions with a consumer of its own.
    private Consumer<byte[], byte[]> lookbackConsumer() {
        return KafkaClients.consumer(
                MarksLookback.scannerProperties(
                        settings.config().consumerProperties(), source.threadName("marks-lookback")),
                Map.of());
    }

    private void fail(Throwable t) {
        ViewFailedException e = new ViewFailedException(view.logId() + " failed: " + t.getMessage(), t);
        view.life().failed(t, e);
        log.error("{} failed", view.logId(), t);
        view.awaiters().failAll(e);
    }

    // ---- the test seam (ViewTestSeams) ----

    /**
     * Test seam: makes the view differ from the table the way a bug in applying records would ({@code
     * kind}: a {@link Divergence} name).
     */
    public void divergeForTest(String kind, String key) {
        diverge(Divergence.valueOf(kind), key);
    }

    private void diverge(Divergence kind, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Lock w = view.table().writeLock();
        w.lock();
        try {
            Partition p = kind.atHome() ? view.table().home(k) : view.table().holder(k);
            if (p == null) {
                throw new StatecastException("no partition of this view holds key " + key);
            }
            kind.apply(
                    p.table,
                    k,
                    kind == Divergence.ADD_FOREIGN_ENTRY ? view.table().anyStored() : null);
            long now = settings.clock().millis();
            p.table.history.record(p.marks.applied(), now, now, p.table.digest);
        } finally {
            w.unlock();
        }
    }

    /** Tests: runs {@code hook} on the thread that writes each snapshot, before it writes (null: none). */
    public void beforeSnapshotWriteForTest(Runnable hook) {
        beforeSnapshotWrite = hook;
    }

    /** Test seam: read-your-writes waits not yet completed. */
    public int pendingAwaitsForTest() {
        return view.awaiters().pending();
    }

    // ---- reads (any thread) ----

    /**
     * @throws ViewFailedException when the view failed for good
     * @throws ViewClosedException when it was closed
     */
    public void checkServing() {
        ViewLifecycle life = view.life();
        if (life.state() == ViewStatus.State.CLOSED) {
            throw new ViewClosedException(view.logId() + " is closed");
        }
        if (life.state() == ViewStatus.State.FAILED) {
            throw life.failure();
        }
    }

    public V get(String key) {
        return served(key, () -> view.table().get(key));
    }

    public boolean contains(String key) {
        return served(key, () -> view.table().contains(key));
    }

    public int size() {
        return served(null, () -> view.table().size());
    }

    /** Every entry, decoded, under one read lock (a consistent snapshot). */
    public Map<String, V> snapshot() {
        Map<String, V> out = new HashMap<>();
        forEach(out::put);
        return out;
    }

    public void forEach(BiConsumer<String, V> action) {
        served(null, () -> {
            view.table().forEach(action);
            return null;
        });
    }

    public Map<String, V> byIndex(String name, Object value) {
        return served(null, () -> view.table().byIndex(name, value));
    }

    // A read of partitions being read again (a heal, ...) follows the read policy, as before the first
    // bootstrap: it waits until they are whole (up to the read timeout) or fails at once; never partial.
    private <T> T served(String key, java.util.function.Supplier<T> read) {
        try {
            return view.table().whole(key, read);
        } catch (ViewTable.NotWhole e) {
            ViewConfig c = settings.config();
            if (c.readPolicy() == ReadPolicy.FAIL_FAST || !view.table().awaitWhole(c.readTimeout())) {
                throw new ViewNotReadyException(view.logId() + " " + e.getMessage());
            }
        }
        try {
            return view.table().whole(key, read);
        } catch (ViewTable.NotWhole e) {
            throw new ViewNotReadyException(view.logId() + " " + e.getMessage());
        }
    }

    /** Completes once partition {@code partition} has seen {@code changes} offset {@code srcOffset}. */
    public CompletableFuture<Void> awaitSrcOffset(int partition, long srcOffset) {
        if (!settings.isNamespace()) {
            throw new StatecastException("await(receipt) needs a namespace view: a plain topic has no srcOffset");
        }
        ViewSource s = source;
        if (partition < 0 || !s.sliced() && !s.reads(partition)) { // a slice view's receipts name source partitions
            return CompletableFuture.failedFuture(
                    new PartitionNotReadException(s.stateTopic(), partition, "partitions " + s.partitions()));
        }
        CompletableFuture<Void> f = view.awaiters().add(partition, srcOffset);
        if (view.table().seenSrcOffset(partition) >= srcOffset) {
            f.complete(null);
        }
        return f;
    }

    /** Waits for {@code f} up to {@code timeout}; gives up (cancels it) on timeout. @return false then */
    public static boolean await(CompletableFuture<Void> f, Duration timeout) {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(false);
            return false;
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public CompletableFuture<ViewStatus> ready() {
        return view.life().ready();
    }

    public ViewStatus.State state() {
        return view.life().state();
    }

    public ViewStatus status() {
        return view.life().status(view.table().progress());
    }

    public ViewStats stats() {
        ViewTable.Totals totals = view.table().totals();
        ViewLifecycle life = view.life();
        ViewStats.Times times =
                new ViewStats.Times(life.staleness(settings.clock().instant()), life.bootstrapDuration(), life.splay());
        return new ViewStats(
                totals.entries(),
                totals.storedBytes(),
                view.table().progress(),
                view.counters().reading(),
                times,
                view.events().stats(),
                view.counters().checks(),
                view.counters().snapshots(life.startMode()));
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        view.events().close();
        view.life().closed();
        view.awaiters().failAll(new ViewClosedException(view.logId() + " is closed"));
        valuesFreeable = true; // after life().closed(): reads are refused from here on
        if (pollEnded || thread.getState() == Thread.State.NEW) {
            freeValues();
        } else {
            log.warn(
                    "{} closed while its poll thread still writes the last snapshot; it frees the values when done",
                    view.logId());
        }
    }

    private void freeValues() {
        if (valuesFreed.compareAndSet(false, true)) {
            view.table().values().close();
        }
    }
}

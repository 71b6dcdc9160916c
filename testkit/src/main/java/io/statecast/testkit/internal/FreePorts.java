package io.statecast.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Picks free TCP ports on loopback; a node keeps its ports for its whole life, restarts included. */
public final class FreePorts {
    private FreePorts() {}

    /** Fails with a clear message when {@code host:port} cannot be bound (another process holds it). */
    public static void requireFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as Kafka's acceptor: a port in TIME_WAIT is free
            s.bind(new InetSocketAddress(host, port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on " + host + " is in use (" + e.getMessage() + ")", e);
        }
    }

    /** Whether something accepts TCP connections on {@code host:port} now. */
    public static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code n} ports: {@code first}, first+1... when {@code first > 0}, else free ports chosen by the OS. */
    public static List<Integer> take(int n, int first) {
        List<Integer> ports = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                if (first > 0) {
                    ports.add(first + i);
                } else {
                    // Hold every socket until all are chosen so that the OS hands out distinct ports.
                    ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    held.add(s);
                    ports.add(s.getLocalPort());
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket cannot lose anything
                }
            }
        }
    }
}

package io.statecast.capture.internal;

/** What capture writes in the rejections it makes itself (docs/protocol.md, "Rejections written by capture"). */
public final class CaptureRejections {
    /** The {@code topic} of a rejection written by capture: the row never reached {@code <ns>.changes}. */
    public static final String SOURCE_TOPIC = "statecast-capture";

    private CaptureRejections() {}
}

package io.statecast.common;

/** The bytes of a record are not a valid encoding of what the topic carries (bad marker, truncated body...). */
public class RecordDecodingException extends StatecastException {
    private static final long serialVersionUID = 1L;

    public RecordDecodingException(String message) {
        super(message);
    }

    public RecordDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}

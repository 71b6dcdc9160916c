package io.statecast.consumer.spi;

import io.statecast.common.StatecastException;

/**
 * A value the view stored compressed could not be read back: the {@link ValueCompression.Compressor}
 * rejected its bytes. Carries the entry's key; the view's other entries are unaffected.
 */
public final class StoredValueException extends StatecastException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public StoredValueException(String key, Throwable cause) {
        super("the stored value of key " + key + " cannot be decompressed: " + cause.getMessage(), cause);
        this.key = key;
    }

    /** The key whose value could not be read (UTF-8 decoded). */
    public String key() {
        return key;
    }
}

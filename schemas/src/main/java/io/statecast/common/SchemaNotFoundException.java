package io.statecast.common;

/**
 * Fatal for the record at hand: a value names a writer schema (by its 64-bit fingerprint) that is
 * neither compiled in nor registered in the namespace's schemas topic. The writer must register its
 * schema before first use.
 */
public class SchemaNotFoundException extends StatecastException {
    private static final long serialVersionUID = 1L;
    private final long fingerprint;

    public SchemaNotFoundException(long fingerprint, String where) {
        super(String.format(
                "Unknown Avro schema fingerprint %s: not among the known schemas nor in %s;"
                        + " the writer must register its schema there before first use",
                hex(fingerprint), where));
        this.fingerprint = fingerprint;
    }

    /** The fingerprint (CRC-64-AVRO of the parsing canonical form) that could not be resolved. */
    public long fingerprint() {
        return fingerprint;
    }

    /** The fingerprint as the schemas topic keys it: 16 lowercase hex digits. */
    public static String hex(long fingerprint) {
        return String.format("%016x", fingerprint);
    }
}

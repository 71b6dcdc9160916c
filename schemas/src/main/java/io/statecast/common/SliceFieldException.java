package io.statecast.common;

/**
 * A slice's FIELD does not fit the namespace's value schema: a step names a field the record does not
 * have, goes into something that is neither a record nor a map, or ends on a value that is not a
 * string, enum, int, long or boolean. Fix the path (or the schema) and define the slice again.
 */
public class SliceFieldException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String schema;

    public SliceFieldException(String field, String schema, String problem) {
        super("Slice field '" + field + "' does not fit value schema " + schema + ": " + problem);
        this.field = field;
        this.schema = schema;
    }

    /** The path as given, e.g. {@code labels.app}. */
    public String field() {
        return field;
    }

    /** Full name of the value schema it was checked against. */
    public String schema() {
        return schema;
    }
}

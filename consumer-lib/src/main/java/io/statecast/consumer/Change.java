package io.statecast.consumer;

/**
 * One change of the view: an upsert ({@code newValue} set; {@code oldValue} null on a create) or a
 * delete ({@code newValue} null). Values are what the view stores (filtered and transformed).
 */
public record Change<V>(String key, V oldValue, V newValue, ChangeMeta meta) {
    /** True for a delete. */
    public boolean isDelete() {
        return newValue == null;
    }
}

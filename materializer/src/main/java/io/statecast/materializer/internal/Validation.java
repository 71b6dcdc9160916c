package io.statecast.materializer.internal;

import io.statecast.common.RecordDecodingException;
import io.statecast.common.SchemaNotFoundException;
import io.statecast.schemas.ChangeEvent;
import io.statecast.schemas.Op;
import io.statecast.schemas.RejectionReason;

/** The rules that accept or reject a change (pure logic, unit-tested). */
public final class Validation {
    /** How much of an oversized input a rejection keeps. */
    static final int TOO_LARGE_KEPT_BYTES = 64 * 1024;

    private Validation() {}

    /** Accepted (with the decoded change and the key's current row) or rejected (with reason and message). */
    public record Outcome(
            ChangeEvent change, TableEntry current, RejectionReason reason, String message, Long currentVersion) {
        static Outcome accept(ChangeEvent change, TableEntry current) {
            return new Outcome(change, current, null, null, null);
        }

        static Outcome reject(RejectionReason reason, String message, TableEntry current) {
            return new Outcome(null, current, reason, message, current == null ? null : current.version());
        }

        /** A captured change not newer than the key's last applied one (a replay): dropped, counted. */
        static Outcome replayed(TableEntry current) {
            return new Outcome(null, current, null, null, null);
        }

        boolean rejected() {
            return reason != null;
        }

        boolean replay() {
            return change == null && reason == null;
        }
    }

    /** Checks that need no decoding; null when they pass. */
    static Outcome checkRaw(byte[] key, byte[] value, int maxPayloadBytes) {
        if (key == null) {
            return Outcome.reject(RejectionReason.NULL_KEY, "the change has no key; every entity needs one", null);
        }
        if (value == null) {
            return Outcome.reject(
                    RejectionReason.UNDECODABLE, "null value: changes are never null (deletes are events)", null);
        }
        if (value.length > maxPayloadBytes) {
            return Outcome.reject(
                    RejectionReason.TOO_LARGE,
                    "the change has " + value.length + " bytes, over max.payload.bytes=" + maxPayloadBytes,
                    null);
        }
        return null;
    }

    /** The rules on a decoded change against the key's current row (null: never seen). */
    public static Outcome check(ChangeEvent change, TableEntry current, PayloadValidator payloads) {
        // First: a capture replays after a crash; its replays (deletes of deleted keys included) are not errors.
        if (current != null
                && current.source() != null
                && current.source().supersedes(SourceOrder.of(change.getSource()))) {
            return Outcome.replayed(current);
        }
        boolean exists = current != null && current.live();
        long version = current == null ? 0 : current.version();
        Long expected = change.getExpectedVersion();
        if (change.getOp() == Op.UPSERT) {
            if (change.getPayload() == null) {
                return Outcome.reject(RejectionReason.INVALID, "an UPSERT without a payload", current);
            }
            try {
                payloads.validate(change.getPayload());
            } catch (SchemaNotFoundException e) {
                return Outcome.reject(RejectionReason.UNKNOWN_SCHEMA, "payload: " + e.getMessage(), current);
            } catch (RecordDecodingException e) {
                return Outcome.reject(RejectionReason.UNDECODABLE, "payload: " + e.getMessage(), current);
            }
        } else if (!exists) {
            return Outcome.reject(RejectionReason.DELETE_OF_ABSENT_KEY, "delete of a key that does not exist", current);
        }
        if (expected != null) {
            long actual = exists ? version : 0;
            if (expected != actual) {
                return Outcome.reject(
                        RejectionReason.VERSION_CONFLICT,
                        "expected version " + expected + ", current is "
                                + (exists ? Long.toString(version) : "0 (absent)"),
                        current);
            }
        }
        return Outcome.accept(change, current);
    }
}

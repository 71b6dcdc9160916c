package io.statecast.materializer;

/**
 * One answer of the materializer's HTTP API, as {@link Materializer#stateOf} returns it and the server
 * sends it: the status, the content type and the body (JSON or text).
 */
public record HttpReply(int status, String contentType, String body) {}

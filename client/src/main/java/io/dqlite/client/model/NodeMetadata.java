package io.dqlite.client.model;

/**
 * What a node says about itself through the describe request.
 *
 * @param failureDomain the node's failure domain (0 unless configured), used to spread voters
 * @param weight the node's weight; the role algorithm prefers lower weights
 */
public record NodeMetadata(long failureDomain, long weight) {}

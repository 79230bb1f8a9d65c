package dev.steeropt.studies.service;

/** Whether a route only reads, or writes (then it needs the bearer token and a server that is not read-only). */
public enum Access {
    READ,
    WRITE
}

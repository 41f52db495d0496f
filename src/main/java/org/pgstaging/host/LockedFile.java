package org.pgstaging.host;

/** A file held under {@link Host#withLockedFile}: read and replaced while nobody else may. */
public interface LockedFile {
    /** Its whole content now, byte for byte. */
    String read();

    /**
     * Replaces it atomically: the new content is written next to it and renamed over it, owner,
     * group and mode kept, the previous content saved as {@code file + ".bak"}.
     */
    void replace(String content);
}

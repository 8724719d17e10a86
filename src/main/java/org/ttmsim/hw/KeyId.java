package org.ttmsim.hw;

/**
 * The key the memory controller's AES engine uses for one access.
 *
 * <p>{@code NONE} is a plaintext access (C=0 on AMD, shared bit set on TDX, or no encryption at all);
 * {@code HOST} is the SME key of the host; {@code GUEST} is the key of the one confidential VM modelled.
 * No agent can read a key; it can only choose the attribute of its translation.
 */
public enum KeyId {
    NONE,
    HOST,
    GUEST;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

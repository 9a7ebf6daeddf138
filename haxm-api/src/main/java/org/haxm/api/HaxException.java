package org.haxm.api;

/** A failed HAXM-style API call that is not simply a bad argument. */
public class HaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public HaxException(String message) { super(message); }
}

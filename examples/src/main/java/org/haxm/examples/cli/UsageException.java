package org.haxm.examples.cli;

/** A command line the tool cannot act on; the CLI prints the message and exits with status 2. */
public final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the option and the accepted values */
    public UsageException(String message) {
        super(message);
    }
}

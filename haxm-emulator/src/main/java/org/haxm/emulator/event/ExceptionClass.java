package org.haxm.emulator.event;

/**
 * Exception classes for the double-fault rules (SDM Vol. 3A §6.15, "Interrupt 8", Tables 6-4 and
 * 6-5): two contributory exceptions, or a page fault followed by a contributory exception or
 * another page fault, make a #DF; a contributory exception or page fault while delivering #DF is a
 * triple fault. Everything else is handled serially.
 */
public enum ExceptionClass {
    BENIGN, CONTRIBUTORY, PAGE_FAULT, DOUBLE_FAULT;

    private static final ExceptionClass[] BY_VECTOR = new ExceptionClass[32];
    static {
        java.util.Arrays.fill(BY_VECTOR, BENIGN);
        for (int v : new int[] {0, 10, 11, 12, 13}) BY_VECTOR[v] = CONTRIBUTORY;
        BY_VECTOR[14] = PAGE_FAULT;
        BY_VECTOR[8] = DOUBLE_FAULT;
    }

    /** Class of a hardware exception; interrupts and software events are benign. */
    public static ExceptionClass of(int vector, int type) {
        if (type != EventType.HARDWARE_EXCEPTION || vector < 0 || vector >= 32) return BENIGN;
        return BY_VECTOR[vector];
    }

    /** What a second exception of class {@code second} raised while delivering this one becomes. */
    public Outcome combine(ExceptionClass second) {
        boolean serious = second == CONTRIBUTORY || second == PAGE_FAULT;
        return switch (this) {
            case CONTRIBUTORY -> second == CONTRIBUTORY ? Outcome.DOUBLE_FAULT : Outcome.SERIAL;
            case PAGE_FAULT -> serious ? Outcome.DOUBLE_FAULT : Outcome.SERIAL;
            case DOUBLE_FAULT -> serious ? Outcome.TRIPLE_FAULT : Outcome.SERIAL;
            case BENIGN -> Outcome.SERIAL;
        };
    }

    /** Result of an exception raised during delivery of another. */
    public enum Outcome { SERIAL, DOUBLE_FAULT, TRIPLE_FAULT }
}

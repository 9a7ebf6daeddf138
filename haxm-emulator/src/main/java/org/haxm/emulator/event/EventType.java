package org.haxm.emulator.event;

/** VMX interruption types (SDM Vol. 3C §25.8.3, Table 25-17), used for every event the CPU delivers. */
public final class EventType {
    private EventType() {}
    public static final int EXTERNAL_INTERRUPT = 0;
    public static final int NMI = 2;
    public static final int HARDWARE_EXCEPTION = 3;
    /** INT n. */
    public static final int SOFTWARE_INTERRUPT = 4;
    /** INT1 (ICEBP). */
    public static final int PRIVILEGED_SOFTWARE_EXCEPTION = 5;
    /** INT3, INTO. */
    public static final int SOFTWARE_EXCEPTION = 6;
    /** Other event (MTF): nothing to deliver. */
    public static final int OTHER = 7;

    /** Events raised by an instruction (INT n, INT3, INTO): privilege-checked against the gate DPL, no EXT bit. */
    public static boolean software(int type) {
        return type == SOFTWARE_INTERRUPT || type == SOFTWARE_EXCEPTION;
    }

    /** Events whose saved RIP is the next instruction (traps raised by an instruction). */
    public static boolean pushesNextRip(int type) {
        return type == SOFTWARE_INTERRUPT || type == SOFTWARE_EXCEPTION || type == PRIVILEGED_SOFTWARE_EXCEPTION;
    }
}

package org.haxm.emulator.cpu;

import java.util.ArrayList;
import java.util.List;

import org.haxm.emulator.InterceptHook;
import org.haxm.emulator.InterceptInfo;

/** An intercept hook that records exception and triple-fault notifications. */
public final class RecordingHook implements InterceptHook {
    /** "vector/errorCode/qualification/softwareType" per exception call, and "triple". */
    public final List<String> calls = new ArrayList<>();
    public long cr2AtException = -1;
    private final CpuState state;

    public RecordingHook(CpuState state) { this.state = state; }

    @Override public boolean instruction(InterceptInfo info) { return false; }
    @Override public void exception(int vector, int errorCode, long qualification, int softwareType) {
        calls.add(vector + "/" + errorCode + "/" + Long.toHexString(qualification) + "/" + softwareType);
        cr2AtException = state.cr2;
    }
    @Override public void tripleFault() { calls.add("triple"); }
    @Override public void afterInstruction() {}
}

package org.haxm.examples.setup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test double: guest-physical 0..size backed by a byte array, with little-endian readers. */
final class ArrayGuestMemory implements GuestMemory {

    final byte[] bytes;
    private final ByteBuffer view;

    ArrayGuestMemory(int size) {
        bytes = new byte[size];
        view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void write(long gpa, byte[] data, int off, int len) {
        System.arraycopy(data, off, bytes, Math.toIntExact(gpa), len);
    }

    long u64(long gpa) {
        return view.getLong(Math.toIntExact(gpa));
    }

    long u32(long gpa) {
        return view.getInt(Math.toIntExact(gpa)) & 0xFFFF_FFFFL;
    }
}

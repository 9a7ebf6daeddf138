package org.haxm.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void writesMembersInOrder() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rax", "0x2a");
        m.put("rip", "0x10001");
        assertEquals("{\n  \"rax\": \"0x2a\",\n  \"rip\": \"0x10001\"\n}\n", JsonWriter.flatObject(m));
    }

    @Test
    void emptyObject() {
        assertEquals("{}\n", JsonWriter.flatObject(Map.of()));
    }

    @Test
    void escapesSpecialCharacters() {
        assertEquals("{\n  \"k\\\"\": \"a\\\\b\\n\\u0001\\t\"\n}\n", JsonWriter.flatObject(Map.of("k\"", "a\\b\n\u0001\t")));
    }
}

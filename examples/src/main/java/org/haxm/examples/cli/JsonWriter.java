package org.haxm.examples.cli;

import java.util.Map;

/** Writes one flat JSON object of string values (RFC 8259), keys in the map's iteration order. */
public final class JsonWriter {

    private JsonWriter() {
    }

    /** Renders {@code {"k": "v", ...}} with one member per line and a trailing newline. */
    public static String flatObject(Map<String, String> members) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : members.entrySet()) {
            sb.append(first ? "\n  " : ",\n  ");
            first = false;
            quote(sb, e.getKey());
            sb.append(": ");
            quote(sb, e.getValue());
        }
        sb.append(first ? "}\n" : "\n}\n");
        return sb.toString();
    }

    /** Appends {@code s} as a JSON string literal, escaping quote, backslash and control characters. */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}

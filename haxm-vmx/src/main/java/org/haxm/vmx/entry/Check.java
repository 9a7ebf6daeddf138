package org.haxm.vmx.entry;

/** One VM-entry rule's test: {@code null} when the state obeys the rule, else what is wrong. */
@FunctionalInterface
interface Check {
    String violation(EntryContext c);
}

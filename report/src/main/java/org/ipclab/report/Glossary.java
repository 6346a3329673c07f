package org.ipclab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Glossary: the terms of art the lab record uses, in plain words. Only the terms that appear in the record's text
 * are listed, so it never defines what the reader will not meet.
 */
final class Glossary {

    /** A term, the pattern that finds it in the text (case-insensitive, whole words), and its definition. */
    record Term(String term, Pattern pattern, String definition) {
        Term(String term, String regex, String definition) {
            this(term, Pattern.compile("(?i)(?<![\\w-])(?:" + regex + ")(?![\\w-])"), definition);
        }
    }

    static final List<Term> TERMS = List.of(
            new Term("p50, p99", "p50|p99(?:\\.9)?|median",
                    "percentiles: p50 (the median) is the time half the samples beat; p99 the time 99 in 100 beat."),
            new Term("round trip", "round trips?",
                    "one message sent and its echo received back, timed from the send to the last byte back."),
            new Term("JMH", "JMH",
                    "the Java Microbenchmark Harness; its SampleTime mode times single operations and keeps them all."),
            new Term("native (C) floor", "C floor|native floor|native \\(C\\) floor",
                    "the same echo written in C and run in the same session: what the mechanism costs without Java."),
            new Term("same CPU / different CPUs", "same CPU|different CPUs",
                    "both processes pinned to one CPU (they take turns), or each to its own CPU (a wake-up crosses CPUs)."),
            new Term("backlog", "backlog",
                    "the number given to `listen()`: how many finished connections may wait to be accepted."),
            new Term("SYN", "SYN|SYNs",
                    "the first packet of TCP's handshake, a client's request to connect."),
            new Term("accept queue", "accept queue",
                    "the kernel's list of connections that completed the handshake and wait for `accept()`."),
            new Term("syncookies", "syncookies|SYN cookies",
                    "a kernel defence that answers a SYN without keeping state when the queue of half-open connections is full."),
            new Term("PIPE_BUF", "PIPE_BUF",
                    "the size (4096 bytes on Linux) up to which a write to a pipe is never interleaved with another's."),
            new Term("tailer", "tailers?",
                    "Chronicle Queue's reader: it follows the end of a memory-mapped file for new messages."),
            new Term("pauser", "pausers?",
                    "Chronicle Queue's waiting strategy: how a tailer waits for a message (spin, yield or sleep)."),
            new Term("haltpoll", "haltpoll",
                    "a virtual machine's idle driver: an idle virtual CPU polls briefly, then halts until woken."),
            new Term("veth", "veth",
                    "a virtual Ethernet pair: two network interfaces joined like a cable, one in each namespace."),
            new Term("network namespace", "network namespaces?",
                    "a private copy of the network stack (interfaces, ports, settings) for the processes inside it."),
            new Term("ephemeral port", "ephemeral(?: port)?",
                    "the port the kernel picks for a client's socket at `connect()`, from a configured range."),
            new Term("TIME_WAIT", "TIME_WAIT",
                    "the state a closed TCP connection stays in for a while so late packets are not taken as new."),
            new Term("loopback", "loopback",
                    "the network interface (127.0.0.1) that never leaves the machine."),
            new Term("spin", "spins?|spinning",
                    "waiting by checking again and again on a busy CPU instead of sleeping until woken."),
            new Term("EPIPE / SIGPIPE", "EPIPE|SIGPIPE",
                    "the error and signal a process gets when it writes to a pipe or socket nobody reads any more."));

    private Glossary() {
    }

    /** Fenced blocks (listings, output, diagrams): code, not the record's words. */
    private static final Pattern FENCE = Pattern.compile("(?ms)^(`{3,})[^\\n]*\\n.*?^\\1\\s*$");

    /** The terms that appear in {@code text} outside fenced blocks, in table order. */
    static List<Term> used(String markdown) {
        String text = FENCE.matcher(markdown).replaceAll("");
        List<Term> used = new ArrayList<>();
        for (Term term : TERMS) {
            if (term.pattern().matcher(text).find()) {
                used.add(term);
            }
        }
        return used;
    }

    /** Appends the Glossary of the terms {@code textSoFar} uses. */
    static void render(Markdown md, String textSoFar) {
        md.heading(2, "Glossary");
        List<Term> used = used(textSoFar);
        if (used.isEmpty()) {
            md.paragraph("This record uses no term that needs defining.");
            return;
        }
        MarkdownTable table = new MarkdownTable("term", "in plain words");
        for (Term term : used) {
            table.row("**" + term.term() + "**", Text.capital(term.definition()));
        }
        md.table(table);
    }

}

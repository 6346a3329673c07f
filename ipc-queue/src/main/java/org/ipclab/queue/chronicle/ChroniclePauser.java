package org.ipclab.queue.chronicle;

import java.util.Arrays;
import java.util.Locale;

import net.openhft.chronicle.threads.BusyPauser;
import net.openhft.chronicle.threads.Pauser;

/**
 * How a process waits for the next excerpt. A Chronicle reader is not woken by the kernel (there is no
 * read(2) to block in): it polls memory, and the pauser decides what it does between polls.
 *
 * <p>The trap: {@code Pauser.busy()}, {@code balanced()} and {@code yielding()} quietly return a
 * <em>sleepy</em> pauser when the machine has fewer than 4 CPUs ({@code -Dpauser.minProcessors}, default
 * 4), and log it at WARN. On a 2-CPU laptop or VM a "busy" benchmark would then sleep 0.5-20 ms
 * between polls. {@link #BUSY} therefore takes {@link BusyPauser#INSTANCE} itself:
 * <pre>
 * Pauser wrong = Pauser.busy();          // a sleeping LongPauser on a small machine
 * Pauser right = BusyPauser.INSTANCE;    // spins, whatever the CPU count
 * </pre>
 */
public enum ChroniclePauser {

    /**
     * Spin on a core, never sleep: the lowest latency, and one full CPU burned per waiting process even
     * when idle ({@code top} shows 100 %). For benchmarks, with client and server on different CPUs.
     */
    BUSY("polls without pause: the lowest latency, and a full CPU per waiting process"),

    /**
     * Poll, yield 50 times, then sleep 0.5 ms growing to 20 ms while idle. Costs almost no CPU; the
     * first message after a quiet spell may wait up to 20 ms. The command line's default.
     */
    SLEEPY("yields, then sleeps 0.5 ms growing to 20 ms while idle: little CPU, up to 20 ms to notice a message after a quiet spell");

    /** The option name in {@code ServerSettings}/{@code ClientSettings} options and on the command line. */
    public static final String OPTION = "pauser";
    public static final ChroniclePauser DEFAULT = SLEEPY;

    static {
        ChronicleSettings.apply();
    }

    private final String description;

    ChroniclePauser(String description) {
        this.description = description;
    }

    /** A fresh pauser of this kind (a pauser keeps per-thread back-off state: one per waiting thread). */
    public Pauser create() {
        return switch (this) {
            case BUSY -> BusyPauser.INSTANCE;
            case SLEEPY -> Pauser.sleepy();
        };
    }

    /** The name used on the command line: busy, sleepy. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One line for logs: what this pauser does while waiting. */
    public String description() {
        return description;
    }

    /** What a pauser object really is, for checking we got what we asked for. */
    public static String describe(Pauser pauser) {
        return pauser.getClass().getSimpleName() + (pauser.isBusy() ? " (spins)" : " (sleeps when idle)");
    }

    /** Parses {@code busy} or {@code sleepy}; anything else is an error naming both. */
    public static ChroniclePauser parse(String text) {
        for (ChroniclePauser pauser : values()) {
            if (pauser.id().equalsIgnoreCase(text.trim())) {
                return pauser;
            }
        }
        throw new IllegalArgumentException("unknown pauser '" + text + "': choose one of "
                + String.join(", ", Arrays.stream(values()).map(ChroniclePauser::id).toList()));
    }

    /** The pauser named in an options map under {@link #OPTION}, or {@link #DEFAULT}. */
    public static ChroniclePauser fromOptions(java.util.Map<String, String> options) {
        String value = options.get(OPTION);
        return value == null ? DEFAULT : parse(value);
    }
}

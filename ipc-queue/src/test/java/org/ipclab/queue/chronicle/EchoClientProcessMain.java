package org.ipclab.queue.chronicle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.ipclab.core.ClientSettings;

/**
 * One client in a process of its own: {@code EchoClientProcessMain DIR SEED MESSAGES MAX_BYTES}. Sends
 * MESSAGES pseudo-random messages of 1..MAX_BYTES bytes, checks every echo, and prints
 * {@code OK <client id> <messages> <bytes>}; exit code 1 and the reason on any failure.
 */
public final class EchoClientProcessMain {

    private EchoClientProcessMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int messages = Integer.parseInt(args[2]);
        int maxBytes = Integer.parseInt(args[3]);
        SplittableRandom random = new SplittableRandom(seed);
        long bytes = 0;
        try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir,
                ClientSettings.defaults().withTimeout(Duration.ofSeconds(30)))) {
            byte[] sent = new byte[maxBytes];
            byte[] echoed = new byte[maxBytes];
            for (int m = 0; m < messages; m++) {
                int size = 1 + random.nextInt(maxBytes);
                for (int i = 0; i < size; i++) {
                    sent[i] = (byte) random.nextInt(256);
                }
                client.roundTrip(sent, echoed, size);
                if (!Arrays.equals(sent, 0, size, echoed, 0, size)) {
                    System.out.println("FAILED message " + m + " of " + size + " bytes differs");
                    System.exit(1);
                }
                bytes += size;
            }
            System.out.println("OK " + Long.toHexString(client.clientId()) + " " + messages + " " + bytes
                    + " duplicates=" + client.duplicatesDropped());
        } catch (Exception e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
    }
}

package org.ipclab.comparison.across;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

import org.ipclab.comparison.cli.UserError;

/**
 * The agent's control protocol: text lines over one TCP connection, at most {@value #MAX_LINE} bytes each.
 *
 * <pre>
 *   client: HELLO &lt;token&gt;        agent: OK agent 1          (or DENIED ... and the connection closes)
 *   client: START tcp|udp          agent: OK &lt;port&gt;           (an echo server on the agent's address)
 *   client: STOP &lt;port&gt;           agent: OK
 *   client: BYE                    agent: OK                 (and every server this connection started stops)
 * </pre>
 *
 * The token is a shared secret read from a file only its owner may read (mode 0600), so that it does not show in
 * {@code ps} or the shell history. It travels in the clear: the agent is for a lab network you control.
 */
final class AgentProtocol {

    static final int DEFAULT_PORT = 7707;
    static final int MAX_LINE = 512;
    static final String OK = "OK";
    static final String DENIED = "DENIED";
    /** What the agent serves, and the only thing it ever starts. */
    static final List<String> TRANSPORTS = AcrossMeasurement.TRANSPORTS;

    private AgentProtocol() {
    }

    /** The token in {@code file}: refused (bad input) when the file is missing, empty, or others may read it. */
    static String readToken(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new UserError("--token-file " + file + " may be read by others (mode "
                        + PosixFilePermissions.toString(mode) + "); make it private with: chmod 600 " + file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty() || token.length() > 256 || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new UserError("--token-file " + file + " must hold one token of 1 to 256 printable characters"
                        + " without spaces; make one with: head -c 24 /dev/urandom | base64 > " + file);
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new UserError("--token-file " + file + " does not exist; make one with: (umask 077; head -c 24 "
                    + "/dev/urandom | base64 > " + file + ")");
        } catch (IOException e) {
            throw new UserError("cannot read --token-file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Whether {@code offered} is the token, in time that does not depend on where they differ: both are hashed to
     * SHA-256 first (so their lengths do not show either) and {@link MessageDigest#isEqual} compares every byte.
     */
    static boolean sameToken(String expected, String offered) {
        return MessageDigest.isEqual(sha256(expected), sha256(offered));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}

package org.ipclab.core.experiments;

/** st_mode as `ls -l` prints it: "srw-------" for a socket only its owner may use. */
public final class FileModes {

    private static final int S_IFMT = 0170000;

    private FileModes() {
    }

    public static String symbolic(int mode) {
        StringBuilder text = new StringBuilder(10);
        text.append(switch (mode & S_IFMT) {
            case 0140000 -> 's';
            case 0120000 -> 'l';
            case 0100000 -> '-';
            case 0040000 -> 'd';
            case 0010000 -> 'p';
            default -> '?';
        });
        String letters = "rwxrwxrwx";
        for (int bit = 0; bit < 9; bit++) {
            text.append((mode & (0400 >> bit)) != 0 ? letters.charAt(bit) : '-');
        }
        return text.toString();
    }

    /** The permission bits in octal, e.g. "0600". */
    public static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}

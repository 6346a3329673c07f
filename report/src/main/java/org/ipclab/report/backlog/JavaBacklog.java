package org.ipclab.report.backlog;

/**
 * What happened to one backlog on its way from Java to the kernel.
 *
 * @param call           the Java code, e.g. "new ServerSocket(0, 0, loopback)"
 * @param requested      the backlog the code asked for; null when it named none
 * @param passedToListen what reached listen(2) (Java's rule: below 1 becomes 50)
 * @param kernelBacklog  what the kernel applies, read back with {@code ss -ltn} (Send-Q); null without ss
 */
public record JavaBacklog(String call, Integer requested, int passedToListen, Integer kernelBacklog) {
}

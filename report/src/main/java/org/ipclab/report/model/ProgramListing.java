package org.ipclab.report.model;

/**
 * One source file of the lab's program, carried in results.json so that a report rendered again later lists
 * exactly the text that was compiled and run, never a copy that can drift.
 *
 * @param file     the file name a student saves it as, e.g. {@code LabServer.java}
 * @param language the fence language of the listing, e.g. {@code java}
 * @param role     what it is in the lab, e.g. "server" or "client"
 * @param text     the whole file, verbatim
 */
public record ProgramListing(String file, String language, String role, String text) {
}

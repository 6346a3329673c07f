package org.ipclab.report.model;

/** A measured number and its unit ("us", "ms", "MiB/s", "bytes", "ns/op"...). */
public record Quantity(double value, String unit) {
    public static Quantity of(double value, String unit) {
        return new Quantity(value, unit);
    }
}

package org.ipclab.report;

import java.io.IOException;

import org.ipclab.report.chart.ChartWriter;

/** One part of the report: reads the measurements, writes its Markdown and its charts. */
abstract class Section {

    final Measurements m;
    final Markdown md;
    final ChartWriter charts;

    Section(Measurements m, Markdown md, ChartWriter charts) {
        this.m = m;
        this.md = md;
        this.charts = charts;
    }

    abstract void render() throws IOException;
}

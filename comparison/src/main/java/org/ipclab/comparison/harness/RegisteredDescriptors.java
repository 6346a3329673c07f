package org.ipclab.comparison.harness;

import java.util.List;

import org.ipclab.core.EchoTransport;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.Transports;
import org.ipclab.report.DescriptorCatalog;

/**
 * The descriptors of the transports this build registers, for a results.json written before results.json carried
 * them: {@code ./ipc-lab report old/results.json} then draws the same diagrams and colours as a new run. Found by
 * the report through META-INF/services.
 */
public final class RegisteredDescriptors implements DescriptorCatalog {

    @Override
    public List<TransportDescriptor> descriptors() {
        return Transports.all().stream().map(EchoTransport::descriptor).toList();
    }
}

package org.ipclab.report;

import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.report.model.Results;

/**
 * Where the report finds the descriptors of a results.json that carries none (one written before results.json
 * held them): the application registers its transports' descriptors here through {@link ServiceLoader} (a line in
 * {@code META-INF/services/org.ipclab.report.DescriptorCatalog}); the report itself knows no transport. A descriptor
 * describes the mechanism, not the run, so today's describes an older run's transport as well.
 */
public interface DescriptorCatalog {

    /** Every descriptor the catalog knows. */
    List<TransportDescriptor> descriptors();

    /** The first catalog on the class path, or one that knows none. */
    static DescriptorCatalog installed() {
        return ServiceLoader.load(DescriptorCatalog.class, DescriptorCatalog.class.getClassLoader()).findFirst()
                .orElse(List::of);
    }

    /** {@code results} as they are when they carry descriptors; else with the catalog's for the run's transports. */
    static Results complete(Results results, DescriptorCatalog catalog) {
        if (results.descriptors() != null || results.transports() == null) {
            return results;
        }
        Set<String> ids = results.transports().stream().map(Results.TransportStatus::id).collect(Collectors.toSet());
        List<TransportDescriptor> known = catalog.descriptors().stream().filter(d -> ids.contains(d.id())).toList();
        return known.isEmpty() ? results : results.withDescriptors(known);
    }
}

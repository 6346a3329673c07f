package org.ipclab.core.testkit;

import java.io.PrintStream;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints one line for every test that did not run, and why: {@code SKIPPED PosixMqEchoContractTest.echoes…:
 * needs POSIX message queues (…)}. A test skipped by an assumption ({@code assumeTrue(cond, "why")}) or disabled
 * ({@code @Disabled}, {@code @EnabledOnOs}) would otherwise show only as a count, so a capability lost on a
 * machine (no root, no python3, no /dev/mqueue) would go unseen.
 *
 * <p>Registered for every module whose tests have ipc-core on their class path through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}: the JUnit launcher (which surefire
 * runs) finds it with {@link java.util.ServiceLoader}. {@code .ci/skips} then counts the reasons in surefire's
 * reports.
 */
public final class SkipReporter implements TestExecutionListener {

    private final PrintStream out;

    /** The launcher's constructor: prints to standard output, where surefire shows it beside the test. */
    public SkipReporter() {
        this(System.out);
    }

    SkipReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(Throwable::getMessage).orElse(null));
        }
    }

    private void report(TestIdentifier test, String reason) {
        out.println("SKIPPED " + name(test) + ": " + (reason == null || reason.isBlank() ? "(no reason given)" : reason));
    }

    /** {@code Class.method(params)} for a method, the simple class name for a class, else the display name. */
    static String name(TestIdentifier test) {
        TestSource source = test.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            String className = method.getClassName();
            String params = method.getMethodParameterTypes();
            return className.substring(className.lastIndexOf('.') + 1) + "." + method.getMethodName()
                    + (params == null || params.isEmpty() ? "" : "(" + params + ")")
                    + (test.isTest() && !test.getDisplayName().startsWith(method.getMethodName()) ? " [" + test.getDisplayName() + "]" : "");
        }
        if (source instanceof ClassSource type) {
            String className = type.getClassName();
            return className.substring(className.lastIndexOf('.') + 1);
        }
        return test.getDisplayName();
    }
}

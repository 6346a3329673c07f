package org.ipclab.comparison.viva;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ipclab.queue.MqNative;
import org.ipclab.report.model.VivaAnswer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each viva experiment's essential claim, as this machine's kernel shows it; and the runner's isolation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VivaExperimentsTest {

    @TempDir
    Path dir;

    @Test
    void udpKeepsEachDatagramWholeTcpMergesTheWritesAndTheLargestDatagramIs65507Bytes() throws Exception {
        VivaAnswer a = new TcpVersusUdp().run(dir);
        assertEquals("100, 200, 300", a.measured().get("udpReceives"), a.toString());
        assertEquals("100, 200, 300", a.measured().get("udpEchoes"), a.toString());
        assertEquals(65_507, number(a, "largestDatagramBytes"));
        assertTrue(a.measured().get("oversizedSend").startsWith("EMSGSIZE"), a.toString());
        List<Long> tcp = numbers(a, "tcpReads");
        assertEquals(600, tcp.stream().mapToLong(Long::longValue).sum(), a.toString());
        assertTrue(tcp.size() < 3, "three writes, fewer reads: the stream kept no boundaries: " + a);
    }

    @Test
    void theEphemeralPortConnectChoseIsInsideIpLocalPortRange() throws Exception {
        VivaAnswer a = new ClientNeedsNoBind().run(dir);
        String[] range = a.measured().get("portRange").split("-");
        long port = number(a, "clientPort");
        assertTrue(port >= Long.parseLong(range[0]) && port <= Long.parseLong(range[1]), a.toString());
        assertEquals(port, number(a, "serverSawClientPort"));
        assertTrue(a.measured().get("localAddressBeforeConnect").startsWith("none"), a.toString());
    }

    @Test
    void acceptReturnsAnotherDescriptorAndSocketOnTheSamePort() throws Exception {
        VivaAnswer a = new AcceptReturnsNewSocket().run(dir);
        assertNotEquals(a.measured().get("listenerFd"), a.measured().get("connectionFd"), a.toString());
        assertNotEquals(a.measured().get("listenerSocket"), a.measured().get("connectionSocket"), a.toString());
        assertTrue(a.measured().get("listenerRow").endsWith(" 0A"), a.toString());
        assertTrue(a.measured().get("connectionRow").endsWith(" 01"), a.toString());
        String port = String.format("%04X", number(a, "port"));
        assertTrue(a.measured().get("listenerRow").startsWith("0100007F:" + port), a.toString());
        assertTrue(a.measured().get("connectionRow").startsWith("0100007F:" + port), a.toString());
    }

    @Test
    void htonsPutsTheHighByteFirst() throws Exception {
        VivaAnswer a = new WhatHtonsDoes().run(dir);
        assertEquals("0xFF98", a.measured().get("portHex"));
        assertEquals("FF 98", a.measured().get("networkOrderBytes"));
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            assertEquals("98 FF", a.measured().get("hostOrderBytes"));
            assertEquals(0x98FF, number(a, "portIfNotConverted"));
        }
        if (a.measured().get("listenedOn").equals("port 65432")) {
            assertTrue(a.measured().get("procNetTcpLocal").endsWith(":FF98"), a.toString());
        }
    }

    @Test
    void aRestartBesideTimeWaitNeedsSoReuseAddrOnBothSockets() throws Exception {
        VivaAnswer a = new AddressInUse().run(dir);
        assertTrue(a.measured().get("restartWithout").startsWith("EADDRINUSE"), a.toString());
        assertEquals(AddressInUse.BOUND, a.measured().get("restartWithBothSet"), a.toString());
        assertTrue(a.measured().get("timeWaitRow").endsWith(" 06"), a.toString());
        assertEquals("true", a.measured().get("javaServerSocketReuseDefault"), "java.net.ServerSocket on Linux");
    }

    @Test
    void afterTheFinReadReturnsEndOfStreamAndKeepsReturningIt() throws Exception {
        VivaAnswer a = new EndOfStream().run(dir);
        assertEquals("12", a.measured().get("bytesReadBeforeFin"));
        assertEquals("-1", a.measured().get("readAfterFin"));
        assertEquals("-1", a.measured().get("readAgain"));
        assertEquals("12", a.measured().get("echoAfterFinBytes"));
    }

    @Test
    void aOneMibEchoComesBackInSeveralReads() throws Exception {
        VivaAnswer a = new ShortReads().run(dir);
        assertTrue(number(a, "clientReads") > 1, a.toString());
        assertTrue(number(a, "smallestReadBytes") <= number(a, "medianReadBytes"), a.toString());
        assertTrue(number(a, "largestReadBytes") < ShortReads.BYTES, a.toString());
    }

    @Test
    void oneNonBlockingSendTakesOnlyPartAndABlockingWriteTakesAll() throws Exception {
        VivaAnswer a = new SendVersusSendall().run(dir);
        long taken = number(a, "oneNonBlockingSendTook");
        assertTrue(taken > 0 && taken < SendVersusSendall.BYTES, a.toString());
        assertTrue(number(a, "nextSendTook") < SendVersusSendall.BYTES - taken, "still only part: " + a);
        assertEquals(SendVersusSendall.BYTES, number(a, "oneBlockingWriteTook"), a.toString());
        assertEquals(taken + SendVersusSendall.BYTES, number(a, "peerRead"), a.toString());
    }

    @Test
    void anIterativeServerMakesTheSecondClientWaitAConcurrentOneDoesNot() throws Exception {
        VivaAnswer a = new IterativeVersusConcurrent().run(dir);
        double iterative = decimal(a, "iterativeSecondClientWaitMs");
        double concurrent = decimal(a, "concurrentSecondClientWaitMs");
        assertTrue(iterative > concurrent, a.toString());
        assertTrue(iterative >= IterativeVersusConcurrent.HOLD_MS * 0.8, "B waits while A is served: " + a);
    }

    @Test
    void aNonBlockingReadReturnsAtOnceABlockingOneWaitsForItsTimeout() throws Exception {
        VivaAnswer a = new BlockingVersusNonBlocking().run(dir);
        assertEquals("0", a.measured().get("nonBlockingReadReturned"));
        assertTrue(decimal(a, "blockingReadWaitedMs") >= BlockingVersusNonBlocking.TIMEOUT_MS * 0.9, a.toString());
        double woke = decimal(a, "blockingReadWokeAfterMs");
        assertTrue(woke >= BlockingVersusNonBlocking.PEER_WRITES_AFTER_MS * 0.9 && woke < 10 * BlockingVersusNonBlocking.TIMEOUT_MS,
                a.toString());
    }

    @Test
    void writingToAClosedPeerEndsInEpipeAndTheJvmSurvivesSigpipe() throws Exception {
        VivaAnswer a = new WriteToClosedPeer().run(dir);
        assertTrue(a.measured().get("writeFailedWith").startsWith("EPIPE"), a.toString());
        assertTrue(number(a, "writesThatSucceeded") >= 1, "the first write is only queued: " + a);
        assertFalse(a.measured().get("sigpipe").startsWith("default"), a.toString());
    }

    @Test
    void aFreshPipeHoldsWhatFGetpipeSzSays() throws Exception {
        VivaAnswer a = new PipeCapacity().run(dir);
        assertEquals(number(a, "fGetpipeSzBytes"), number(a, "filledBytes"), a.toString());
        assertTrue(a.measured().get("then").startsWith("EAGAIN"), a.toString());
        assertTrue(a.measured().get("writeEnd").startsWith("pipe:["), a.toString());
    }

    @Test
    void aPosixQueueKeepsTheMessageWholeAndIsRemovedAfterwards() throws Exception {
        Assumptions.assumeTrue(MqNative.unavailableReason().isEmpty(), () -> "needs POSIX message queues (Linux, libc mq_open): " + MqNative.unavailableReason().orElse(""));
        VivaAnswer a = new PosixVersusSystemVQueues().run(dir);
        assertEquals("12", a.measured().get("posixReceivedBytes"));
        assertEquals("three", a.measured().get("sysvFirstReceived"), "msgrcv by type skips the older message");
        assertEquals("seven", a.measured().get("sysvThenReceived"));
        assertTrue(a.observed(), a.toString());
        int fd = MqNative.lib().mq_open(a.measured().get("posixName"), MqNative.O_RDONLY);
        assertTrue(fd < 0, "the queue " + a.measured().get("posixName") + " was left behind");
    }

    @Test
    void sharedMemoryIsTwoMappingsOfTheSamePagesAndLeavesNothingInDevShm() throws Exception {
        VivaAnswer a = new SharedMemory().run(dir);
        assertTrue(a.observed(), a.toString());
        assertEquals("Hello, world", a.measured().get("sharedMemorySeen"), "read through the other mapping");
        try (var left = java.nio.file.Files.list(SharedMemory.DEV_SHM)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("ipclab-viva-")), "nothing left in /dev/shm");
        }
    }

    @Test
    void chronicleQueueIsFilesMappedIntoTheProcess() throws Exception {
        VivaAnswer a = new ChronicleIsALibrary().run(dir);
        assertTrue(a.measured().get("queueFiles").contains(".cq4"), a.toString());
        assertTrue(number(a, "mappings") > 0, a.toString());
        assertTrue(a.measured().get("exampleMapping").split(" ")[1].endsWith("s"), "a shared mapping: " + a);
    }

    @Test
    void everyQuestionIsAnsweredInOneRunAndTheScratchDirectoryIsLeftEmpty() throws Exception {
        List<String> progress = new ArrayList<>();
        List<VivaAnswer> answers = VivaExperiments.run(dir, progress::add);
        assertEquals(VivaExperiments.all().size(), answers.size());
        assertEquals(answers.size(), progress.size(), progress.toString());
        Set<String> ids = new HashSet<>();
        for (VivaAnswer a : answers) {
            assertTrue(ids.add(a.id()), "duplicate id " + a.id());
            assertFalse(a.answer().startsWith("This run could not answer"), a.toString());
            assertFalse(a.measured().isEmpty(), a.toString());
        }
        assertTrue(answers.size() >= 14, answers.size() + " questions");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aFailingOrStuckExperimentFailsAloneWithItsReason() throws Exception {
        VivaExperiment broken = experiment("broken", d -> {
            throw new java.io.IOException("no such thing");
        });
        VivaExperiment stuck = experiment("stuck", d -> {
            Thread.sleep(60_000);
            return null;
        });
        VivaExperiment fine = new ClientNeedsNoBind();
        List<VivaAnswer> answers = VivaExperiments.run(List.of(broken, stuck, fine), dir, line -> { }, Duration.ofMillis(500));
        assertEquals("failed: IOException: no such thing", answers.get(0).reason());
        assertFalse(answers.get(0).observed());
        assertTrue(answers.get(1).reason().startsWith("failed: did not finish within 500 ms"), answers.get(1).toString());
        assertTrue(answers.get(2).observed(), answers.get(2).toString());
    }

    interface Body {
        VivaAnswer run(Path dir) throws Exception;
    }

    private static VivaExperiment experiment(String id, Body body) {
        return new VivaExperiment() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String question() {
                return "Does " + id + " fail alone?";
            }

            @Override
            public VivaAnswer run(Path d) throws Exception {
                return body.run(d);
            }
        };
    }

    /** A measured whole number as the answer prints it ("1 048 576" with thin spaces). */
    static long number(VivaAnswer a, String name) {
        String value = a.measured().get(name);
        assertNotNull(value, name + " was not measured: " + a);
        return Long.parseLong(value.replace("\u2009", "").trim());
    }

    static double decimal(VivaAnswer a, String name) {
        String value = a.measured().get(name);
        assertNotNull(value, name + " was not measured: " + a);
        return Double.parseDouble(value.replace("\u2009", ""));
    }

    static List<Long> numbers(VivaAnswer a, String name) {
        List<Long> values = new ArrayList<>();
        for (String part : a.measured().get(name).split(",\\s*")) {
            values.add(Long.parseLong(part.trim()));
        }
        return values;
    }
}

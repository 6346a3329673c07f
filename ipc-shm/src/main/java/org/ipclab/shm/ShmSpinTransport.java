package org.ipclab.shm;

/**
 * {@code shm-spin}: the same segment, slots and rings as {@code shm}, with both sides busy-polling the ring instead
 * of sleeping on a futex ({@code --wait spin} by default). It is a transport of its own so that the comparison
 * measures both ways of waiting side by side: what spinning saves in latency across CPUs, and what it costs in CPU
 * time (the report's CPU table). Its servers and clients also meet {@code shm}'s: only the waiting differs.
 */
public final class ShmSpinTransport extends ShmTransport {

    public ShmSpinTransport() {
        super(ShmDescriptor.SPIN, ShmRing.Wait.SPIN);
    }
}

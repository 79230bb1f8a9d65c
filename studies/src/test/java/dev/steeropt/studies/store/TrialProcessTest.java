package dev.steeropt.studies.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which recorded processes count as dead here: only a process of this process-id space that has exited. */
class TrialProcessTest {

    @Test
    void anExitedProcessOfThisMachineIsDeadAndOthersAreNot() throws Exception {
        String me = TrialProcess.labelled("main");
        assertTrue(me.matches("main@.+:" + ProcessHandle.current().pid()), me);
        assertFalse(TrialProcess.isDeadHere(me), "this process is alive");

        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String machine = me.substring(me.indexOf('@') + 1, me.lastIndexOf(':'));
        String exited = "worker-1@" + machine + ":" + p.pid();
        assertTrue(TrialProcess.isDeadHere(exited), "an exited process of this machine: " + exited);

        assertFalse(TrialProcess.isDeadHere("worker-1@another-host:" + p.pid()), "another host is never judged");
        if (machine.contains("/")) {
            String host = machine.substring(0, machine.indexOf('/'));
            assertFalse(TrialProcess.isDeadHere("worker-1@" + host + "/00000000-1:" + p.pid()),
                    "the same host name in another process-id space (another container) is never judged");
        }
        assertFalse(TrialProcess.isDeadHere("no process here"));
        assertFalse(TrialProcess.isDeadHere(null));
    }
}

package dev.steeropt.cache.store;

import dev.steeropt.cache.key.ActivationKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** A child process of {@link ActivationStoreTest}: asks the shared cache for one key, logging when it computes. */
public final class CacheWorkerMain {
    static final ActivationKey KEY =
            new ActivationKey("model-p", "train", "ids", "blocks.0.hook_resid_post", "v", "t", "last", 1);

    private CacheWorkerMain() {}

    static List<CachedTensor> expected() {
        return List.of(new CachedTensor("acts", new long[] {2, 2}, new float[] {1f, 2f, 3f, 4f}));
    }

    public static void main(String[] args) {
        ActivationStore store = ActivationStore.open(Path.of(args[0]), 1 << 20);
        Path log = Path.of(args[1]);
        store.getOrCompute(KEY, () -> {
            try {
                Files.writeString(log, ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                Thread.sleep(500); // long enough that the other workers arrive while this one computes
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return expected();
        });
    }
}

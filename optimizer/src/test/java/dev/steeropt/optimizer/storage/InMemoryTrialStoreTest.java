package dev.steeropt.optimizer.storage;

/** Runs the {@link TrialStoreContract} against {@link InMemoryTrialStore}. */
class InMemoryTrialStoreTest implements TrialStoreContract {
    @Override
    public TrialStore newStore() {
        return new InMemoryTrialStore();
    }
}

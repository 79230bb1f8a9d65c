package dev.steeropt.studies.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.steeropt.core.model.arch.ArchitectureAdapter;
import dev.steeropt.core.model.arch.ArchitectureRegistry;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.weights.SafetensorsDtype;
import dev.steeropt.core.model.weights.SafetensorsFile;
import dev.steeropt.core.model.weights.TensorInfo;
import dev.steeropt.core.runtime.LoadedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the model files a user hands us: {@code model.safetensors} (bytes anywhere, header JSON, the header length
 * field) and {@code config.json} (parsed by every architecture adapter, and a smaller number of full model loads with
 * the real weights, where a config that disagrees with the weights must be refused before anything is allocated).
 */
class ModelFilesFuzzTest {
    private static Path work;
    private static byte[] weights;
    private static String weightsHeader;
    private static byte[] weightsData;

    @BeforeContainer
    static void setUp() throws IOException {
        // PyTorch's grad mode is per thread and DJL switches it off on the thread that starts the engine. The full
        // loads below run on FuzzCheck's worker thread, so start the engine here, on the thread the other test
        // classes run on (AdamWTest and DemoTrainerTest fail when the engine starts with grad mode on).
        ai.djl.engine.Engine.getInstance();
        work = Files.createTempDirectory("fuzz-model-");
        weights = FuzzFixtures.bytes(FuzzFixtures.model("tiny-llama-fp32").resolve("model.safetensors"));
        ByteBuffer b = ByteBuffer.wrap(weights).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) b.getLong(0);
        weightsHeader = new String(weights, 8, headerLength, StandardCharsets.UTF_8);
        weightsData = Arrays.copyOfRange(weights, 8 + headerLength, weights.length);
    }

    @AfterContainer
    static void report() {
        FuzzCheck.report("safetensors bytes", "safetensors header", "safetensors length field", "config.json",
                "config.json + weights (full load)");
    }

    @Property(tries = 600, seed = "1201")
    void safetensorsBytes(@ForAll("mutatedWeights") byte[] file) {
        FuzzFixtures.runOnFile("safetensors bytes", Mutations.describe(file), work.resolve("bytes.safetensors"), file,
                ModelFilesFuzzTest::readAll);
    }

    @Property(tries = 800, seed = "1202")
    void safetensorsHeader(@ForAll("mutatedHeader") String header) {
        FuzzFixtures.runOnFile("safetensors header", Mutations.describe(header), work.resolve("header.safetensors"),
                pack(header.getBytes(StandardCharsets.UTF_8), weightsData), ModelFilesFuzzTest::readAll);
    }

    /** A header length larger than the file must be refused before it is allocated: the budget is the file's size. */
    @Property(tries = 200, seed = "1203")
    void safetensorsLengthField(@ForAll("lengthFields") long claimed) {
        byte[] file = weights.clone();
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, claimed);
        FuzzCheck.Outcome o = FuzzFixtures.runOnFile("safetensors length field", "header length " + claimed,
                work.resolve("length.safetensors"), file, ModelFilesFuzzTest::readAll);
        if (claimed < 0 || claimed > file.length - 8) {
            assertEquals(FuzzCheck.Outcome.REFUSED, o, "a header length of " + claimed + " in a file of " + file.length);
        }
    }

    @Property(tries = 1500, seed = "1204")
    void configJson(@ForAll("models") Path model, @ForAll("mutationSeeds") long seed) {
        String config = Mutations.mutateJson(Mutations.parse(FuzzFixtures.text(model.resolve("config.json"))),
                new java.util.Random(seed));
        Path dir = work.resolve("config");
        dir.toFile().mkdirs();
        FuzzFixtures.write(dir.resolve("config.json"), config);
        FuzzCheck.run("config.json", model.getFileName() + ": " + Mutations.describe(config), FuzzCheck.budgetFor(config.length()),
                () -> {
                    ConfigJson json = ConfigJson.read(dir);
                    ArchitectureAdapter adapter = ArchitectureRegistry.forConfig(json);
                    return adapter.parseConfig(json);
                });
    }

    /** Full loads: the weights are real, so a config that disagrees with them must be refused, not allocated. */
    @Property(tries = 60, seed = "1205")
    void configWithWeights(@ForAll("mutationSeeds") long seed) {
        Path model = FuzzFixtures.model("tiny-llama-fp32");
        Path dir = FuzzFixtures.copyOf(model, work.resolve("full"));
        java.util.Random r = new java.util.Random(seed);
        String config = Mutations.mutateJson(Mutations.parse(FuzzFixtures.text(model.resolve("config.json"))), r);
        FuzzFixtures.write(dir.resolve("config.json"), config);
        if (r.nextBoolean()) {
            FuzzFixtures.write(dir.resolve("generation_config.json"),
                    Mutations.mutateJson(Mutations.parse(FuzzFixtures.text(model.resolve("generation_config.json"))), r));
        }
        FuzzCheck.run("config.json + weights (full load)", Mutations.describe(config),
                FuzzCheck.budgetFor(weights.length), () -> {
                    try (LoadedModel m = LoadedModel.load(dir)) {
                        return m.config();
                    }
                });
    }

    @Provide
    Arbitrary<byte[]> mutatedWeights() {
        return Mutations.ofBytes(weights);
    }

    @Provide
    Arbitrary<String> mutatedHeader() {
        return Mutations.ofJson(weightsHeader);
    }

    @Provide
    Arbitrary<Long> lengthFields() {
        long size = weights.length;
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(size - 64, size + 64),
                Arbitraries.of(0L, 1L, 7L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, SafetensorsFile.MAX_HEADER_BYTES,
                        SafetensorsFile.MAX_HEADER_BYTES + 1, size, size - 8, size - 7));
    }

    @Provide
    Arbitrary<Path> models() {
        return Arbitraries.of(FuzzFixtures.models());
    }

    @Provide
    Arbitrary<Long> mutationSeeds() {
        return Arbitraries.longs();
    }

    /** The header length as 8 little-endian bytes, the header, the data section. */
    static byte[] pack(byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        return b.array();
    }

    /** Opens the file and reads every tensor, as the weight loader does. */
    static Object readAll(Path f) {
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            long sum = 0;
            for (TensorInfo t : s.tensors().values()) {
                SafetensorsDtype d = t.dtype();
                if (d == SafetensorsDtype.F32 || d == SafetensorsDtype.F16 || d == SafetensorsDtype.BF16 || d == SafetensorsDtype.F64) {
                    sum += s.readFloats(t.name()).length;
                } else if (d == SafetensorsDtype.I64 || d == SafetensorsDtype.I32) {
                    sum += s.readLongs(t.name()).length;
                } else {
                    sum += s.data(t.name()).remaining();
                }
            }
            return sum;
        }
    }
}

package dev.steeropt.studies.fuzz;

import dev.steeropt.core.steering.ControlVectorGguf;
import dev.steeropt.core.steering.SteeringVector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the steering-vector files a user passes with {@code --vector}: safetensors vectors as
 * {@link SteeringVector#save} writes them (bytes, and the header with its metadata) and GGUF control vectors.
 */
class SteeringVectorFilesFuzzTest {
    private static Path work;
    private static byte[] vectorFile;
    private static String vectorHeader;
    private static byte[] vectorData;
    private static byte[] ggufFile;

    @BeforeContainer
    static void setUp() throws IOException {
        work = Files.createTempDirectory("fuzz-vector-");
        Random r = new Random(5);
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        SteeringVector v = SteeringVector.of(2, x, Map.of(SteeringVector.KEY_METHOD, "caa", SteeringVector.KEY_N_PAIRS, "16"));
        Path f = work.resolve("seed.safetensors");
        v.save(f);
        vectorFile = Files.readAllBytes(f);
        int headerLength = (int) ByteBuffer.wrap(vectorFile).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        vectorHeader = new String(vectorFile, 8, headerLength, StandardCharsets.UTF_8);
        vectorData = Arrays.copyOfRange(vectorFile, 8 + headerLength, vectorFile.length);
        Path g = work.resolve("seed.gguf");
        ControlVectorGguf.write(g, List.of(v, SteeringVector.of(3, x.clone(), Map.of())), "llama");
        ggufFile = Files.readAllBytes(g);
    }

    @AfterContainer
    static void report() {
        FuzzCheck.report("steering vector bytes", "steering vector header", "gguf control vector");
    }

    @Property(tries = 800, seed = "3201")
    void vectorBytes(@ForAll("mutatedVector") byte[] file) {
        FuzzFixtures.runOnFile("steering vector bytes", Mutations.describe(file), work.resolve("v.safetensors"), file,
                SteeringVectorFilesFuzzTest::load);
    }

    @Property(tries = 800, seed = "3202")
    void vectorHeader(@ForAll("mutatedHeader") String header) {
        FuzzFixtures.runOnFile("steering vector header", Mutations.describe(header), work.resolve("h.safetensors"),
                ModelFilesFuzzTest.pack(header.getBytes(StandardCharsets.UTF_8), vectorData), SteeringVectorFilesFuzzTest::load);
    }

    @Property(tries = 1000, seed = "3203")
    void gguf(@ForAll("mutatedGguf") byte[] file) {
        FuzzFixtures.runOnFile("gguf control vector", Mutations.describe(file), work.resolve("v.gguf"), file,
                ControlVectorGguf::read);
    }

    @Provide
    Arbitrary<byte[]> mutatedVector() {
        return Mutations.ofBytes(vectorFile);
    }

    @Provide
    Arbitrary<String> mutatedHeader() {
        return Mutations.ofJson(vectorHeader);
    }

    @Provide
    Arbitrary<byte[]> mutatedGguf() {
        return Mutations.ofBytes(ggufFile);
    }

    /** Both ways a command reads a vector: with the layer from the file, and for a given layer. */
    private static Object load(Path f) {
        SteeringVector v = SteeringVector.load(f, 2);
        return SteeringVector.load(f).dimension() + v.dimension();
    }
}

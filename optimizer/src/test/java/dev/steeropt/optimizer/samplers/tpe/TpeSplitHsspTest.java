package dev.steeropt.optimizer.samplers.tpe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The two-objective tie-break of the multi-objective TPE split against Optuna 5.0.0's {@code _solve_hssp} (with
 * {@code _get_reference_point}) on four shuffled non-dominated sets (numpy seed 5; the script is in the commit that
 * added this test).
 */
class TpeSplitHsspTest {
    private static final double[][][] POINTS = {
        {{0.38336888078551823, 0.3832699916775778}, {0.2858013800881416, 0.46765981275108637},
            {0.8050029237453802, 0.13539890399496127}, {0.515325561042142, 0.3320970077432592},
            {0.053930702381656426, 0.7881938120997185}, {0.8079407897364937, 0.11287024379392117}},
        {{0.8796511733349222, 0.08123952423695373}, {0.06080271295805606, 0.7900987477683903},
            {0.5555961169207234, 0.25554265948927235}, {0.27145160453010153, 0.4903557492652139},
            {0.39240466433477816, 0.41835029842842547}, {0.676689351831066, 0.2127634777934556},
            {0.4930230187317426, 0.3414537944821858}, {0.844231037608741, 0.08727098997875558},
            {0.06421443731219101, 0.7873770153447841}},
        {{0.506385001421571, 0.3162006522338716}, {0.798939490963134, 0.13988533392246127},
            {0.1490385835335558, 0.6182361334774465}, {0.31645208740449016, 0.4850104061757833},
            {0.7998795260549534, 0.13985041913765192}, {0.3197846543182863, 0.4544762106529387},
            {0.01453628036381327, 0.9260946973271584}, {0.2361941283958635, 0.5323959624680492},
            {0.4485441007603762, 0.3770877522033495}, {0.23551645730617143, 0.5569459616417536},
            {0.5070681389233913, 0.29991959554110087}, {0.6985119903183108, 0.20130078592058365}},
        {{0.7132578641244521, 0.19783526755451739}, {0.3804753706433236, 0.3908163948650794},
            {0.8088438090346699, 0.12830505968174247}, {0.9916767169901963, 0.052096487351725895},
            {0.9410009752426018, 0.053922339890291}, {0.7236762546507963, 0.16936965428526013},
            {0.6125178041653119, 0.2530093464220834}}};
    private static final int[] K = {2, 4, 5, 6};
    private static final int[][] OPTUNA = {{0, 1}, {2, 3, 7, 8}, {2, 5, 6, 10, 11}, {0, 1, 2, 4, 5, 6}};

    @Test
    void matchesOptunasHypervolumeSubsetSelection() {
        for (int c = 0; c < POINTS.length; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < POINTS[c].length; i++) {
                members.add(i);
            }
            TreeSet<Integer> ours = new TreeSet<>(TpeSplit.hssp2d(members, POINTS[c], K[c]));
            TreeSet<Integer> theirs = new TreeSet<>();
            for (int i : OPTUNA[c]) {
                theirs.add(i);
            }
            assertEquals(theirs, ours, "case " + c);
        }
    }

    @Test
    void duplicatesFillOnlyAfterEveryUniquePoint() {
        double[][] v = {{0.1, 0.9}, {0.1, 0.9}, {0.5, 0.5}};
        assertEquals(List.of(0, 2), TpeSplit.hssp2d(List.of(0, 1, 2), v, 2).stream().sorted().toList());
        assertEquals(3, TpeSplit.hssp2d(List.of(0, 1, 2), v, 3).size());
    }
}

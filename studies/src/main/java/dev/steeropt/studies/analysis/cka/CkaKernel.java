package dev.steeropt.studies.analysis.cka;

import dev.steeropt.studies.spec.WireName;

/** The kernels CKA compares representations with ({@code --kernel linear,rbf}). */
public enum CkaKernel implements WireName {
    /** {@code k(x, y) = xᵀy}: linear CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F) on column-centred X, Y. */
    LINEAR,
    /** {@code k(x, y) = exp(−‖x − y‖² / (2σ²))} with σ² the median of the squared pairwise distances. */
    RBF;

    /** The kernel named {@code name} (a usage error listing both otherwise). */
    public static CkaKernel parse(String name) {
        return WireName.parse(CkaKernel.class, "CKA kernel", name);
    }
}

/**
 * Centred Kernel Alignment between layers of one or two models: {@link dev.steeropt.studies.analysis.cka.Gram} holds
 * one representation's kernel matrix, {@link dev.steeropt.studies.analysis.cka.Cka} aligns two, with the kernels of
 * {@link dev.steeropt.studies.analysis.cka.CkaKernel} and the biased or debiased HSIC.
 */
package dev.steeropt.studies.analysis.cka;

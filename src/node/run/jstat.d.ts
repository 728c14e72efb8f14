// jstat ships no types (and there is no @types/jstat): the one function parampred uses.
declare module 'jstat' {
  const jstat: {
    jStat: {
      studentt: {
        /** Quantile (inverse CDF) of Student's t with `dof` degrees of freedom at probability `p`. */
        inv(p: number, dof: number): number;
      };
    };
  };
  export default jstat;
}

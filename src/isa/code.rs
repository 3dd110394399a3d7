//! Register code of one proc: the instruction words and their side tables.

/// The translation of one proc. Every word (`ExtraArg` words and the `Jmp` after a
/// conditional included) has an entry in each side table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegCode {
    pub code: Vec<u32>,
    /// The stack-bytecode pc each word implements, so error messages and tracebacks use
    /// the stack bytecode's analysis (`describe_operand`) and line table.
    pub stack_pcs: Vec<u32>,
    /// Source line of each word.
    pub lines: Vec<u32>,
    /// Registers a frame needs (at least the stack proc's `num_locals + max_stack`).
    pub frame_size: u16,
    /// Constants the translator added (integers too wide for an immediate); their indices
    /// follow the proc's own constants. The engine appends them to the loaded proc's
    /// constant table before running the code.
    pub extra_consts: Vec<crate::bytecode::Constant>,
}

impl RegCode {
    /// The stack pc for register pc `pc` (the last word's for out-of-range pcs).
    #[inline]
    pub fn stack_pc(&self, pc: usize) -> u32 {
        match self.stack_pcs.get(pc) {
            Some(&p) => p,
            None => self.stack_pcs.last().copied().unwrap_or(0),
        }
    }
}

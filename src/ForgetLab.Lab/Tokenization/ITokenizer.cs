namespace ForgetLab.Lab.Tokenization;
public interface ITokenizer { int VocabSize { get; } int PadId { get; } int EosId { get; } int[] Encode(string text); string Decode(IEnumerable<int> ids); }

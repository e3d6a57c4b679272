namespace ForgetLab.Lab.World;

/// <summary>A chemical element: English name, symbol as written in chemistry ("Fe"), atomic number.</summary>
public sealed record Element(string Name, string Symbol, int Number);

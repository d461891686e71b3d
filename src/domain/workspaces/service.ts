import type { Prisma } from '../../db/database.ts';

export const DEFAULT_WORKSPACE = 'default';

/** Finds a workspace by name, creating it and its owner account on first use. */
export async function ensureWorkspace(prisma: Prisma, name: string) {
  const existing = await prisma.workspace.findUnique({ where: { name } });
  if (existing) return existing;
  try {
    return await prisma.workspace.create({
      data: { name, accounts: { create: { name: `${name} owner`, role: 'owner' } } },
    });
  } catch (error) {
    // Another process created it between our read and write.
    const raced = await prisma.workspace.findUnique({ where: { name } });
    if (raced) return raced;
    throw error;
  }
}

export async function ownerAccount(prisma: Prisma, workspaceId: string) {
  return prisma.account.findFirst({ where: { workspaceId, role: 'owner' }, orderBy: { createdAt: 'asc' } });
}

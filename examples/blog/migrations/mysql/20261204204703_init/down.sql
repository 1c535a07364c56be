-- DropForeignKey
ALTER TABLE `Profile` DROP FOREIGN KEY `Profile_userId_fkey`;

-- DropForeignKey
ALTER TABLE `Post` DROP FOREIGN KEY `Post_authorId_fkey`;

-- DropForeignKey
ALTER TABLE `Comment` DROP FOREIGN KEY `Comment_postId_fkey`;

-- DropForeignKey
ALTER TABLE `Comment` DROP FOREIGN KEY `Comment_authorId_fkey`;

-- DropForeignKey
ALTER TABLE `Comment` DROP FOREIGN KEY `Comment_parentId_fkey`;

-- DropForeignKey
ALTER TABLE `_Follows` DROP FOREIGN KEY `_Follows_A_fkey`;

-- DropForeignKey
ALTER TABLE `_Follows` DROP FOREIGN KEY `_Follows_B_fkey`;

-- DropForeignKey
ALTER TABLE `_PostToTag` DROP FOREIGN KEY `_PostToTag_A_fkey`;

-- DropForeignKey
ALTER TABLE `_PostToTag` DROP FOREIGN KEY `_PostToTag_B_fkey`;

-- DropTable
DROP TABLE `users`;

-- DropTable
DROP TABLE `Profile`;

-- DropTable
DROP TABLE `Post`;

-- DropTable
DROP TABLE `Comment`;

-- DropTable
DROP TABLE `Tag`;

-- DropTable
DROP TABLE `_Follows`;

-- DropTable
DROP TABLE `_PostToTag`;
